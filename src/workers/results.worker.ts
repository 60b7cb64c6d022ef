/** Worker entry: reads and parses results files off the UI thread (the parsing is the pure core's). */
import { expose } from 'comlink';
import { parseResultLines, type ResultParse } from '../core/review/resultLines';

const parser = {
  async parse(file: Blob): Promise<ResultParse> {
    return parseResultLines(await file.text());
  },
};

export type ResultsParser = typeof parser;

expose(parser);
