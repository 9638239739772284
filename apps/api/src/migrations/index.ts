import { Initial1763750000000 } from './1763750000000-initial';
import { JoinLock1765000000000 } from './1765000000000-join-lock';

export const MIGRATIONS = [Initial1763750000000, JoinLock1765000000000];
