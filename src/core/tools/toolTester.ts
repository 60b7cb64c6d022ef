/**
 * A chainable harness that drives a tool's real state machine without a browser:
 * `new ToolTester('box').pointerDown(10, 10).pointerMove(50, 40).pointerUp().expectIn('box.idle')`.
 */
import { initialToolState, type PromptToolId } from './machine';
import type { PointerInput, ToolCommand, ToolState } from './types';

export class ToolTester {
  state: ToolState;
  readonly commands: ToolCommand[] = [];
  private last = { x: 0, y: 0 };

  constructor(tool: PromptToolId, private readonly scale = 1) {
    this.state = initialToolState(tool);
  }

  private input(x: number, y: number, options: { button?: number; altKey?: boolean }): PointerInput {
    this.last = { x, y };
    return { x, y, scale: this.scale, button: options.button ?? 0, altKey: options.altKey ?? false };
  }

  private readonly emit = (c: ToolCommand): void => {
    this.commands.push(c);
  };

  pointerDown(x: number, y: number, options: { button?: number; altKey?: boolean } = {}): this {
    this.state = this.state.onPointerDown(this.input(x, y, options), this.emit);
    return this;
  }

  pointerMove(x: number, y: number): this {
    this.state = this.state.onPointerMove(this.input(x, y, {}), this.emit);
    return this;
  }

  pointerUp(x = this.last.x, y = this.last.y): this {
    this.state = this.state.onPointerUp(this.input(x, y, {}), this.emit);
    return this;
  }

  cancel(): this {
    this.state = this.state.onCancel();
    return this;
  }

  expectIn(id: string): this {
    if (this.state.id !== id) throw new Error(`expected state ${id}, but the tool is in ${this.state.id}`);
    return this;
  }
}
