// string-width segments every string (the first Intl.Segmenter loads ICU's break data: 90 ms
// of --help) and tests each grapheme against emoji and default-ignorable expressions. Strings
// of one-column characters skip all that; ambiguous-width ones only where they count narrow
// (string-width's default). test/unit/string-width.test.ts checks NARROW against every
// string-width the bundle carries.
export const NARROW = '[ -~\\u00a0-\\u00a8\\u00aa-\\u00ac\\u00af-\\u02ff\\u2010-\\u2027\\u2190-\\u2193\\u2500-\\u259f]';

/** string-width's source with the fast path as its function's first line (unchanged if its shape is unknown). */
export const narrowWidthFastPath = (source: string): string =>
  source.replace(
    /^(export default function stringWidth\((\w+), options = \{\}\) \{|const stringWidth = (\w+) => \{)$/m,
    (head, _h, a, b) => {
      const arg = a ?? b;
      const narrowHere = a ? 'options.ambiguousIsNarrow !== false && ' : '';
      return `${head}\n\tif (typeof ${arg} === 'string' && ${narrowHere}/^${NARROW}*$/.test(${arg})) return ${arg}.length;`;
    },
  );
