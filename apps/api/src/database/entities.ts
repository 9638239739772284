import { AppSecret } from '../auth/app-secret.entity';
import { Moderator } from '../auth/moderator.entity';
import { Participant } from '../access/participant.entity';
import { SpeakerInvite } from '../access/speaker-invite.entity';
import { CaptionCue } from '../captions/caption-cue.entity';
import { ChatMessage } from '../chat/chat-message.entity';
import { PressEvent } from '../events/press-event.entity';
import { Hand } from '../hands/hand.entity';
import { AuditEntry } from '../moderation/audit-entry.entity';
import { QuestionVote } from '../questions/question-vote.entity';
import { Question } from '../questions/question.entity';
import { RestreamDestination } from '../restream/restream-destination.entity';
import { StageAppearance } from '../stage/stage-appearance.entity';

export const ENTITIES = [
  AppSecret,
  Moderator,
  Participant,
  SpeakerInvite,
  PressEvent,
  ChatMessage,
  Question,
  QuestionVote,
  Hand,
  AuditEntry,
  StageAppearance,
  RestreamDestination,
  CaptionCue,
];
