// Stable identity, as data: what must stay the same when a StatefulSet pod is deleted and
// re-created (name, hostname, claim, volume), what must change (UID), what may (IP).

export interface Identity {
  name: string;
  uid: string;
  hostname: string;
  ip: string | null;
  node: string | null;
  pvc: string;
  pv: string | null;
}

export type Expectation = 'same' | 'new' | 'may differ';

export interface IdentityRow {
  field: string;
  before: string;
  after: string;
  expected: Expectation;
  ok: boolean;
}

const FIELDS: [keyof Identity, string, Expectation][] = [
  ['name', 'name', 'same'],
  ['uid', 'uid', 'new'],
  ['hostname', 'hostname (inside the pod)', 'same'],
  ['ip', 'ip', 'may differ'],
  ['node', 'node', 'may differ'],
  ['pvc', 'pvc', 'same'],
  ['pv', 'pv', 'same'],
];

export function compareIdentity(before: Identity, after: Identity): IdentityRow[] {
  return FIELDS.map(([key, field, expected]) => {
    const b = before[key] ?? '<none>';
    const a = after[key] ?? '<none>';
    const ok = expected === 'same' ? a === b : expected === 'new' ? a !== b : true;
    return { field, before: b, after: a, expected, ok };
  });
}
