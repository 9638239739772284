import { Initial1763750000000 } from './1763750000000-initial';

export const MIGRATIONS = [Initial1763750000000];
