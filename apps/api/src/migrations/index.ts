import { Initial1763750000000 } from './1763750000000-initial';
import { PersonalColumnsWithoutStatistics1764860000000 } from './1764860000000-personal-columns-without-statistics';

export const MIGRATIONS = [Initial1763750000000, PersonalColumnsWithoutStatistics1764860000000];
