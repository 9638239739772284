import { MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { ActionReply } from '@pressroom/protocol';
import type { Session } from '../common/session';
import { LiveHandlers } from '../realtime/live-gateway.decorator';
import { LiveSession } from '../realtime/live-socket';
import { AskQuestionDto, EditQuestionDto, OnAirDto, OrderQuestionsDto, QuestionRefDto } from './question.dto';
import { QuestionsService } from './questions.service';

@LiveHandlers()
export class QuestionsGateway {
  constructor(private readonly questions: QuestionsService) {}

  @SubscribeMessage('question:ask')
  async ask(@LiveSession() session: Session, @MessageBody() dto: AskQuestionDto): Promise<ActionReply<'question:ask'>> {
    return { ok: true, question: await this.questions.ask(session, dto.text) };
  }

  @SubscribeMessage('question:vote')
  async vote(
    @LiveSession() session: Session,
    @MessageBody() dto: QuestionRefDto,
  ): Promise<ActionReply<'question:vote'>> {
    return { ok: true, votes: await this.questions.vote(session, dto.questionId) };
  }

  @SubscribeMessage('question:approve')
  async approve(
    @LiveSession() session: Session,
    @MessageBody() dto: QuestionRefDto,
  ): Promise<ActionReply<'question:approve'>> {
    await this.questions.approve(session, dto.questionId);
    return { ok: true };
  }

  @SubscribeMessage('question:reject')
  async reject(
    @LiveSession() session: Session,
    @MessageBody() dto: QuestionRefDto,
  ): Promise<ActionReply<'question:reject'>> {
    await this.questions.reject(session, dto.questionId);
    return { ok: true };
  }

  @SubscribeMessage('question:edit')
  async edit(
    @LiveSession() session: Session,
    @MessageBody() dto: EditQuestionDto,
  ): Promise<ActionReply<'question:edit'>> {
    await this.questions.edit(session, dto.questionId, dto.text);
    return { ok: true };
  }

  @SubscribeMessage('question:order')
  async order(
    @LiveSession() session: Session,
    @MessageBody() dto: OrderQuestionsDto,
  ): Promise<ActionReply<'question:order'>> {
    await this.questions.order(session, dto.questionIds);
    return { ok: true };
  }

  @SubscribeMessage('question:answered')
  async answered(
    @LiveSession() session: Session,
    @MessageBody() dto: QuestionRefDto,
  ): Promise<ActionReply<'question:answered'>> {
    await this.questions.markAnswered(session, dto.questionId);
    return { ok: true };
  }

  @SubscribeMessage('question:onAir')
  async onAir(@LiveSession() session: Session, @MessageBody() dto: OnAirDto): Promise<ActionReply<'question:onAir'>> {
    await this.questions.putOnAir(session, dto.questionId);
    return { ok: true };
  }
}
