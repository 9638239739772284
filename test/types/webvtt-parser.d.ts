/** The part of webvtt-parser (which ships no types) the tests use. */
declare module 'webvtt-parser' {
  export interface ParsedCue {
    id: string;
    startTime: number;
    endTime: number;
    text: string;
  }
  export class WebVTTParser {
    parse(
      input: string,
      mode?: 'subtitles' | 'metadata',
    ): {
      cues: ParsedCue[];
      errors: Array<{ message: string; line: number }>;
    };
  }
}
