/**
 * The few web-platform globals the core relies on. They are part of every JavaScript runtime
 * the app targets (browsers, workers, Node), but not of the ECMAScript library, and the core is
 * type-checked without the DOM library so that nothing else can slip in.
 */
declare class URL {
  constructor(url: string, base?: string);
  readonly href: string;
  readonly protocol: string;
  readonly host: string;
  readonly pathname: string;
}
