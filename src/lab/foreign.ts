// A StatefulSet sts-lab did not make (the tutorial's web, one written by hand), looked at by the
// read-only commands: its pods are found by its own selector, its claims by its claim template.
import { CliError } from '../errors.ts';
import { isManaged, type LabNames } from './names.ts';

interface LabelSelector {
  matchLabels?: Record<string, string> | undefined;
  matchExpressions?: { key: string; operator: string; values?: string[] | undefined }[] | undefined;
}

interface ForeignSpec {
  metadata?: { labels?: Record<string, string> | undefined } | undefined;
  spec?:
    { selector?: LabelSelector; volumeClaimTemplates?: { metadata?: { name?: string | undefined } }[] } | undefined;
}

/** A label selector as the API's labelSelector parameter spells it: app=nginx,tier in (a,b),!legacy. */
export function selectorText(s: LabelSelector): string {
  const labels = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  const expressions = (s.matchExpressions ?? []).map(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return `${key} in (${values.join(',')})`;
      case 'NotIn':
        return `${key} notin (${values.join(',')})`;
      case 'Exists':
        return key;
      case 'DoesNotExist':
        return `!${key}`;
      default:
        throw new Error(`unknown label selector operator "${operator}"`);
    }
  });
  return [...labels, ...expressions].join(',');
}

/**
 * The names a command uses for this StatefulSet: sts-lab's own as they are; another one's
 * pods by its selector and claims by --claim, or by its only claim template.
 */
export function resolveNames(n: LabNames, sts: ForeignSpec): LabNames {
  if (isManaged(sts.metadata?.labels)) return n;
  const templates = (sts.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? '');
  if (n.claim !== undefined && templates.length && !templates.includes(n.claim))
    throw new CliError(
      `statefulset.apps/${n.statefulSet} has no claim template "${n.claim}" (it has: ${templates.join(', ')})`,
    );
  if (n.claim === undefined && templates.length > 1)
    throw new CliError(
      `statefulset.apps/${n.statefulSet} has ${templates.length} claim templates (${templates.join(', ')}): name one with --claim`,
    );
  return { ...n, claim: n.claim ?? templates[0], selector: selectorText(sts.spec?.selector ?? {}) };
}
