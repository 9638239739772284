import { inject, Injectable } from '@angular/core';
import { errorText } from '../../shared/i18n/error-text';
import type { ActionRequest, ClientActionName } from '@pressroom/protocol';
import type { Change, OptimisticState } from '../../shared/optimistic';
import { NoticesStore } from '../notices/notices.store';
import { ControlRoomLive } from './control-room-live';

/**
 * A moderator's action as the control room does them all: the change shows at once, the action goes
 * to the server, and a refusal (or no answer) takes the change back and says why.
 */
@Injectable()
export class Moderation {
  readonly #live = inject(ControlRoomLive);
  readonly #notices = inject(NoticesStore);

  /** Resolves true when the server accepted. `failure` starts the message: "Could not approve the question". */
  async run<T, A extends ClientActionName>(
    state: OptimisticState<T>,
    change: Change<T>,
    action: A,
    request: ActionRequest<A>,
    failure: string,
  ): Promise<boolean> {
    const refusal = await state.apply<{ message: string }>(change, () => this.#live.send(action, request));
    if (refusal) {
      const reason = errorText(refusal).replace(/\.$/, '');
      this.#notices.error(
        $localize`:@@moderation.undone:${failure}:action:: ${reason}:reason:. The change was undone.`,
      );
    }
    return refusal === null;
  }
}
