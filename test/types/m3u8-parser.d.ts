/** The part of m3u8-parser (which ships no types) the tests use. */
declare module 'm3u8-parser' {
  export interface ParsedPlaylistEntry {
    uri: string;
    attributes: Record<string, unknown>;
  }

  export interface Manifest {
    playlists?: ParsedPlaylistEntry[];
    segments?: Array<{ uri: string; duration: number }>;
  }

  export class Parser {
    manifest: Manifest;
    on(event: 'warn' | 'info', listener: (message: unknown) => void): void;
    push(chunk: string): void;
    end(): void;
  }
}
