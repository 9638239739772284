/**
 * What "Audio only" shows where the picture was: the speakers on air (the names their tiles carry, from
 * `/hls/:slug/program.json`, asked for only while audio only is picked) and the question on air. It lies
 * over the video in the same box, so nothing around it moves.
 */
import { PROGRAM_INFO_FILE, type ProgramInfo, type QuestionView } from '@pressroom/protocol';
import { byId, show } from './dom';
import { onLanguageChange, participantName, t } from './i18n';
import { byline } from './questions';
import type { ViewerState, ViewerStore } from './store';

/** How often who is on air is asked for while audio only is picked. */
const PROGRAM_POLL_MS = 5_000;

export interface AudioOnlyPanel {
  show(audioOnly: boolean): void;
}

export function mountAudioOnly(store: ViewerStore, base: string): AudioOnlyPanel {
  const panel = byId('audio-only');
  const speakers = byId('audio-only-speakers');
  const question = byId('audio-only-question');
  const questionBy = byId('audio-only-question-by');
  let timer = 0;
  let shown = false;
  let onStage: readonly string[] = [];

  const drawSpeakers = (names: readonly string[]) => {
    onStage = names;
    speakers.textContent = names.length > 0 ? names.map(participantName).join(' · ') : t('audio_only.nobody');
  };
  const poll = async () => {
    window.clearTimeout(timer);
    if (!shown) return;
    try {
      const answer = await fetch(base + PROGRAM_INFO_FILE, { credentials: 'same-origin' });
      if (answer.ok) {
        const info = (await answer.json()) as Partial<ProgramInfo>;
        if (shown && Array.isArray(info.speakers)) drawSpeakers(info.speakers.filter((n) => typeof n === 'string'));
      }
    } catch {
      // the network or the broadcast is down: the names stay as they were, the player says why
    }
    if (shown) timer = window.setTimeout(() => void poll(), PROGRAM_POLL_MS);
  };

  drawSpeakers([]);
  const drawQuestion = ({ questions }: ViewerState) => {
    const onAir: QuestionView | undefined = questions.find((q) => q.onAir);
    question.textContent = onAir ? onAir.text : t('audio_only.no_question');
    questionBy.textContent = onAir ? byline(onAir) : '';
    show(questionBy, onAir !== undefined);
  };
  store.watch(['questions'], drawQuestion);
  onLanguageChange(() => {
    drawSpeakers(onStage);
    drawQuestion(store.state);
  });

  return {
    show(audioOnly) {
      if (audioOnly === shown) return;
      shown = audioOnly;
      show(panel, audioOnly);
      if (audioOnly) void poll();
      else window.clearTimeout(timer);
    },
  };
}
