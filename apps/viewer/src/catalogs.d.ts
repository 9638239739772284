/** Each language's compiled catalog, made by apps/viewer/build.ts from libs/i18n/catalogs/<language>.json. */
declare module 'virtual:catalog/*' {
  const messages: Record<string, (params?: Record<string, string | number>) => string>;
  export default messages;
}

/** index.html's fixed text in each language (see i18n.ts): fetched only on a change of language. */
declare module 'virtual:catalog-static/*' {
  const messages: Record<string, (params?: Record<string, string | number>) => string>;
  export default messages;
}
