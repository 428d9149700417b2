declare module '*.yaml' {
  const text: string;
  export default text;
}

/** package.json's version, injected by the bundler. */
declare const __VERSION__: string;
/** A hash of dist/k8s.cjs, injected by the bundler: it names the bundle's code cache (src/load-k8s.bundled.ts). */
declare const __K8S_BUNDLE_HASH__: string;

/** The modules of src/ that the cluster bundle imports, keyed by their path under src/ (scripts/build.ts). */
declare module 'sts-lab:k8s-shared' {
  const modules: Record<string, unknown>;
  export default modules;
}
