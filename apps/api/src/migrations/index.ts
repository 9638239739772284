import { Initial1763750000000 } from './1763750000000-initial';
import { PersonalColumnsWithoutStatistics1764860000000 } from './1764860000000-personal-columns-without-statistics';
import { JoinLock1765000000000 } from './1765000000000-join-lock';
import { StageAppearances1765200000000 } from './1765200000000-stage-appearances';
import { RestreamDestinations1765300000000 } from './1765300000000-restream-destinations';
import { Crew1765400000000 } from './1765400000000-crew';
import { EventLanguage1765500000000 } from './1765500000000-event-language';
import { StageMute1765600000000 } from './1765600000000-stage-mute';

export const MIGRATIONS = [
  Initial1763750000000,
  PersonalColumnsWithoutStatistics1764860000000,
  JoinLock1765000000000,
  StageAppearances1765200000000,
  RestreamDestinations1765300000000,
  Crew1765400000000,
  EventLanguage1765500000000,
  StageMute1765600000000,
];
