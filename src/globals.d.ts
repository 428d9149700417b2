declare module '*.yaml' {
  const text: string;
  export default text;
}

/** package.json's version, injected by the bundler. */
declare const __VERSION__: string;
