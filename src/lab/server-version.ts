// What the API server's version (its gitVersion: "v1.37.2", "v1.36.3+k3s1") tells about its
// StatefulSets: the defaults of the feature gates and controller changes sts-lab explains.

/** The minor of a 1.x gitVersion; undefined when the string says nothing sts-lab can read. */
export const minorOf = (gitVersion: string | undefined): number | undefined => {
  const m = /^v?1\.(\d+)(?:\D|$)/.exec(gitVersion ?? '');
  return m ? Number(m[1]) : undefined;
};

/** From 1.37 the controller's update also deletes old-revision pods that are already unavailable, and OnDelete moves currentRevision. */
export const CONTROLLER_1_37 = 37;

export interface GateDefault {
  stage: 'absent' | 'alpha' | 'beta';
  onByDefault: boolean;
}

/** MaxUnavailableStatefulSet by minor: new (alpha, off) in 1.24, beta but off in 1.35 and 1.36, on from 1.37. */
export function maxUnavailableGate(minor: number): GateDefault {
  if (minor < 24) return { stage: 'absent', onByDefault: false };
  if (minor < 35) return { stage: 'alpha', onByDefault: false };
  return { stage: 'beta', onByDefault: minor >= CONTROLLER_1_37 };
}

/** The gate's default on this server, with what other versions do: "on v1.36.3 it is beta but off by default (on by default from 1.37)". */
export function maxUnavailableGateText(gitVersion: string): string {
  const minor = minorOf(gitVersion);
  if (minor === undefined) return 'it is alpha and off by default up to Kubernetes 1.34, beta but off in 1.35 and 1.36, and on by default from 1.37';
  const gate = maxUnavailableGate(minor);
  if (gate.stage === 'absent') return `${gitVersion} does not have it (it came in 1.24, alpha and off by default)`;
  if (gate.onByDefault) return `on ${gitVersion} it is beta and on by default, so this API server runs with it turned off`;
  return gate.stage === 'alpha'
    ? `on ${gitVersion} it is alpha and off by default (beta from 1.35, on by default from 1.37)`
    : `on ${gitVersion} it is beta but off by default (on by default from 1.37)`;
}
