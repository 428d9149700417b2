// The seed tour's report rows, in order: what the tour, its Markdown report and the README's
// demo must each show.
export const SEED_CONCEPTS = [
  'Ordered deployment',
  'Stable identity',
  'Headless Service DNS',
  'PVC per pod',
  'Stable storage',
  'Ordered scaling',
  'Cleanup',
];
