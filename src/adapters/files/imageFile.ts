/**
 * An image file as the model gets it from `view_visual_prompt` when the visual prompt is an image
 * (a V2P-Bench frame with the prompt drawn): the file's own bytes as a data URL, not decoded and
 * encoded again (the reference client sends the file itself), with its size read by decoding it
 * once (which also refuses a file that is not an image).
 */
import type { EncodedImage } from '../../core/agent/ports';

const TYPES: Readonly<Record<string, string>> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', bmp: 'image/bmp' };

function mimeOf(file: Blob): string {
  if (file.type.startsWith('image/')) return file.type;
  const name = (file as Partial<File>).name ?? '';
  return TYPES[name.slice(name.lastIndexOf('.') + 1).toLowerCase()] ?? 'image/jpeg';
}

function dataUrl(file: Blob, mime: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      // FileReader names the Blob's own type, which a file from a folder may lack.
      resolve(`data:${mime};base64,${url.slice(url.indexOf(',') + 1)}`);
    };
    reader.onerror = () => reject(reader.error ?? new Error('The image could not be read.'));
    reader.readAsDataURL(file);
  });
}

export async function readImageFile(file: Blob): Promise<EncodedImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (e) {
    const name = (file as Partial<File>).name;
    throw new Error(`${name ? `“${name}”` : 'The prompt image'} is not an image the browser can read (${e instanceof Error ? e.message : String(e)}).`, { cause: e });
  }
  const { width, height } = bitmap;
  bitmap.close();
  return { url: await dataUrl(file, mimeOf(file)), bytes: file.size, width, height };
}
