// What the API server's version (its gitVersion: "v1.37.2", "v1.36.3+k3s1") tells about its
// StatefulSets: the defaults of the feature gates and controller changes sts-lab explains.

/** The minor of a 1.x gitVersion; undefined when the string says nothing sts-lab can read. */
export const minorOf = (gitVersion: string | undefined): number | undefined => {
  const m = /^v?1\.(\d+)(?:\D|$)/.exec(gitVersion ?? '');
  return m ? Number(m[1]) : undefined;
};

/** persistentVolumeClaimRetentionPolicy is on by default from 1.27 (beta) and GA in 1.32. */
export const RETENTION_MINOR = 27;

/** MaxUnavailableStatefulSet: new (alpha, off) in 1.24, beta but still off from 1.35, on by default from 1.37. */
const GATE_ALPHA_MINOR = 24;
const GATE_BETA_MINOR = 35;
export const GATE_ON_MINOR = 37;

/** From 1.37 the controller completes an OnDelete update too: currentRevision becomes the update revision. */
export const ON_DELETE_COMPLETES_MINOR = 37;

/**
 * From 1.37, with the gate on, the controller deletes old-revision pods that are already unavailable, whatever the
 * budget.
 */
export const REPLACES_UNAVAILABLE_MINOR = 37;

export interface GateDefault {
  stage: 'absent' | 'alpha' | 'beta';
  onByDefault: boolean;
}

export function maxUnavailableGate(minor: number): GateDefault {
  if (minor < GATE_ALPHA_MINOR) return { stage: 'absent', onByDefault: false };
  if (minor < GATE_BETA_MINOR) return { stage: 'alpha', onByDefault: false };
  return { stage: 'beta', onByDefault: minor >= GATE_ON_MINOR };
}

/**
 * The gate's default on this server, with what other versions do: "on v1.36.3 it is beta but off by default (on by
 * default from 1.37)".
 */
export function maxUnavailableGateText(gitVersion: string): string {
  const minor = minorOf(gitVersion);
  const on = `on by default from 1.${GATE_ON_MINOR}`;
  if (minor === undefined)
    return `it is alpha and off by default up to Kubernetes 1.${GATE_BETA_MINOR - 1}, beta but off in 1.${GATE_BETA_MINOR} and 1.${GATE_ON_MINOR - 1}, and ${on}`;
  const gate = maxUnavailableGate(minor);
  if (gate.stage === 'absent')
    return `${gitVersion} does not have it (it came in 1.${GATE_ALPHA_MINOR}, alpha and off by default)`;
  if (gate.onByDefault)
    return `on ${gitVersion} it is beta and on by default, so this API server runs with it turned off`;
  return gate.stage === 'alpha'
    ? `on ${gitVersion} it is alpha and off by default (beta from 1.${GATE_BETA_MINOR}, ${on})`
    : `on ${gitVersion} it is beta but off by default (${on})`;
}
