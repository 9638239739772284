/** Each language's compiled catalog, made by apps/viewer/build.ts from libs/i18n/catalogs/<language>.json. */
declare module 'virtual:catalog/*' {
  const messages: Record<string, (params?: Record<string, string | number>) => string>;
  export default messages;
}

/** The rest of each language's messages (see i18n.ts): fetched with the chunks that say them. */
declare module 'virtual:catalog-later/*' {
  const messages: Record<string, (params?: Record<string, string | number>) => string>;
  export default messages;
}
