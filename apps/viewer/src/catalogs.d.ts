/** Each language's compiled catalog, made by apps/viewer/build.ts from libs/i18n/catalogs/<language>.json. */
declare module 'virtual:catalog/*' {
  const messages: Record<string, (params?: Record<string, string | number>) => string>;
  export default messages;
}
