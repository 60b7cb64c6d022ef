import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assistantToolCallMessage, chatRequest, firstUserMessage, toolSuccessMessage, imagePart, textPart, type ChatMessage } from './messages';
import { bodyPieces, joinPieces, jsonStringContent, liftImageUrls } from './requestBody';
import { toolSchemas } from './tools';

const TOKEN = 'vs-img-3f1c2a9e-';

/** What the adapter sends: the lifted body serialised, cut at the placeholders, the URLs put back. */
function wire(body: { readonly messages: readonly ChatMessage[] }, token = TOKEN): string | null {
  const lifted = liftImageUrls(body, token);
  const pieces = bodyPieces(JSON.stringify(lifted.body), token, lifted.urls.length, lifted.placed);
  return pieces === null ? null : joinPieces(pieces, lifted.urls);
}

const request = (messages: ChatMessage[]) => chatRequest('videoseeker-8b', messages, toolSchemas({ viewVisualPrompt: true, cropVideo: true }), true);

describe('a request body with its images set apart', () => {
  it('is byte for byte the JSON of the request: frames, a tool result with the same frame again, text with quotes and newlines', () => {
    const a = 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ==';
    const b = 'data:image/jpeg;base64,/9j/4BBB+/==';
    const body = request([
      firstUserMessage([{ timeS: 0, url: a }, { timeS: 1.5, url: b }], 'Which "cup"?\nA. left\tB. right ✓'),
      assistantToolCallMessage('<think>\\n</think>', [{ id: 'call_0', name: 'crop_video', arguments: '{"start": 0, "end": 2}' }]),
      toolSuccessMessage('call_0', [textPart('<0.0 seconds>'), imagePart(a)]),
    ]);
    const lifted = liftImageUrls(body, TOKEN);
    expect(lifted.urls).toEqual([a, b]);
    expect(lifted.placed).toBe(3);
    // The serialised skeleton carries no image data: it is what is built per round.
    expect(JSON.stringify(lifted.body)).not.toContain('base64');
    expect(wire(body)).toBe(JSON.stringify(body));
  });

  it('is the JSON of any request, whatever its texts and URLs hold', () => {
    // Any text, and often the characters JSON escapes (quotes, backslashes, controls, lone surrogates).
    const tricky = fc.constantFrom('a', '"', '\\', '\n', '\u0001', 'é', '\ud83d', '\ude00', '😀', '+', '/', '=');
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: tricky, maxLength: 12 }));
    const part = fc.oneof(text.map(textPart), fc.oneof(text, fc.constantFrom('data:image/png;base64,AAAA', 'data:image/jpeg;base64,BB==')).map(imagePart));
    const message = fc.oneof(
      fc.array(part, { maxLength: 6 }).map((content): ChatMessage => ({ role: 'user', content })),
      fc.tuple(text, fc.array(part, { maxLength: 4 })).map(([id, parts]) => toolSuccessMessage(id, parts)),
      fc.option(text).map((content) => assistantToolCallMessage(content, [])),
    );
    fc.assert(
      fc.property(fc.array(message, { maxLength: 5 }), (messages) => {
        const body = request(messages);
        expect(wire(body)).toBe(JSON.stringify(body));
      }),
    );
  });

  it('never gives a wrong body: with the token inside a text it refuses (the caller sends the whole text)', () => {
    const quoted = request([{ role: 'user', content: [textPart(`"${TOKEN}0"`), imagePart('data:image/jpeg;base64,AAAA')] }]);
    expect(wire(quoted)).toBeNull();
    const forged = request([{ role: 'user', content: [textPart(`${TOKEN}0`), imagePart('data:image/jpeg;base64,AAAA')] }]);
    expect(wire(forged)).toBeNull();
    // Texts made of pieces of placeholders: the pieces are the body's JSON, or nothing.
    const text = fc.array(fc.constantFrom(TOKEN, '0', '1', '"', '\\', 'x'), { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(fc.oneof(text.map(textPart), fc.constant(imagePart('data:image/png;base64,AAAA'))), { maxLength: 6 }), (content) => {
        const body = request([{ role: 'user', content }]);
        const sent = wire(body);
        if (sent !== null) expect(sent).toBe(JSON.stringify(body));
      }),
    );
  });

  it('writes a string as JSON does between its quotes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(`"${jsonStringContent(s)}"`).toBe(JSON.stringify(s));
      }));
  });
});
