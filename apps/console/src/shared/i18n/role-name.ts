import type { Role } from '@pressroom/protocol';

/** A role as the pages name it: "Speaker", "Sign-language interpreter". */
export function roleName(role: Role): string {
  switch (role) {
    case 'moderator':
      return $localize`:@@role.moderator:Moderator`;
    case 'speaker':
      return $localize`:@@role.speaker:Speaker`;
    case 'journalist':
      return $localize`:@@role.journalist:Journalist`;
    case 'viewer':
      return $localize`:@@role.viewer:Viewer`;
    case 'captioner':
      return $localize`:@@role.captioner:Captioner`;
    case 'interpreter':
      return $localize`:@@role.interpreter:Interpreter`;
    case 'signer':
      return $localize`:@@role.signer:Sign-language interpreter`;
    default:
      return role;
  }
}
