// Judges a captured terminal pane (tmux capture-pane -J: the lines the terminal wrapped joined
// again) for a terminal `columns` wide: what a person would see as not fitting.

const BORDERS = /[│┃|┆]/g;

/** The problems a person would see, one line each; none when everything fits. */
export function misfits(pane: string, columns: number): string[] {
  const lines = pane.split('\n').map((l) => l.trimEnd());
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const w of pane.match(/[A-Za-z]+/g) ?? []) seen.set(w, (seen.get(w) ?? 0) + 1);
  lines.forEach((line, i) => {
    const width = [...line].length;
    if (width > columns) problems.push(`line ${i + 1} is ${width} columns wide: ${line}`);
    const next = lines[i + 1];
    if (next === undefined) return;
    // "an" then "d" on the next line, where "and" is a word of the pane and "d" is nowhere else.
    const tail = /[A-Za-z]+$/.exec(line.replace(BORDERS, ' ').trimEnd())?.[0];
    const head = /^[a-z]+/.exec(next.replace(BORDERS, ' ').trimStart())?.[0];
    if (tail && head && seen.get(head) === 1 && seen.has(tail + head))
      problems.push(`"${tail}${head}" is broken across lines ${i + 1} and ${i + 2}`);
    // The chart's axis: the seconds under "└──┬──" end inside the pane, the last one whole.
    if (/^\s*└─/.test(line) && !/\d(\.\d)?s$/.test(next))
      problems.push(`the chart's axis labels on line ${i + 2} do not end in whole seconds: ${next}`);
  });
  return problems;
}
