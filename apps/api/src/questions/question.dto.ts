import { ArrayMaxSize, IsArray, IsUUID, ValidateIf } from 'class-validator';
import { LIMITS, type ActionRequest } from '@pressroom/protocol';
import { TypedText } from '../common/validation';

export class AskQuestionDto implements ActionRequest<'question:ask'> {
  @TypedText({ maxLength: LIMITS.questionText, multiline: true })
  text!: string;
}

export class QuestionRefDto implements ActionRequest<'question:approve'> {
  @IsUUID() questionId!: string;
}

export class EditQuestionDto implements ActionRequest<'question:edit'> {
  @IsUUID() questionId!: string;

  @TypedText({ maxLength: LIMITS.questionText, multiline: true })
  text!: string;
}

export class OrderQuestionsDto implements ActionRequest<'question:order'> {
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  questionIds!: string[];
}

export class OnAirDto implements ActionRequest<'question:onAir'> {
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  questionId!: string | null;
}
