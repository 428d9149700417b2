// What teardown did with each object, in -o json: deleted, kept (and whether sts-lab made it),
// or absent. createdBySts is what the Cleanup verdict reads: kept is a failure only for the lab's own.

export type RemovalAction = 'deleted' | 'kept' | 'absent';

export interface Removal {
  resource: string;
  action: RemovalAction;
  detail: string;
  /** Whether the object carries sts-lab's label; null when it was absent or could not be read. */
  createdBySts: boolean | null;
}

export const deleted = (resource: string, detail = ''): Removal => ({
  resource,
  action: 'deleted',
  detail,
  createdBySts: true,
});
export const absent = (resource: string): Removal => ({ resource, action: 'absent', detail: '', createdBySts: null });
/** Never deleted: sts-lab removes only what it made. */
export const notOurs = (resource: string): Removal => ({
  resource,
  action: 'kept',
  detail: 'not created by sts-lab',
  createdBySts: false,
});
export const kept = (resource: string, why: string, createdBySts: boolean | null = true): Removal => ({
  resource,
  action: 'kept',
  detail: why,
  createdBySts,
});

/** Something sts-lab made and left behind. */
export const keptOwn = (r: Removal): boolean => r.action === 'kept' && r.createdBySts !== false;
