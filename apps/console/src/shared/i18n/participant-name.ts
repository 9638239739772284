import { Pipe, type PipeTransform } from '@angular/core';
import { isForgottenName } from '@pressroom/protocol';

/**
 * A participant's name as the page shows it: as they wrote it, except a forgotten participant's, which is
 * stored as `FORGOTTEN_NAME` ("A participant") and shown in the page's language ("Un participante").
 */
export function participantName(name: string): string;
export function participantName(name: string | null): string | null;
export function participantName(name: string | null | undefined): string | null | undefined;
export function participantName(name: string | null | undefined): string | null | undefined {
  return isForgottenName(name) ? $localize`:@@participant.forgotten:A participant` : name;
}

/** `{{ question.name | participantName }}`: see `participantName`. */
@Pipe({ name: 'participantName' })
export class ParticipantNamePipe implements PipeTransform {
  transform(name: string): string;
  transform(name: string | null): string | null;
  transform(name: string | null | undefined): string | null | undefined;
  transform(name: string | null | undefined): string | null | undefined {
    return participantName(name);
  }
}
