import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { LIMITS, type ActionRequest } from '@pressroom/protocol';
import { PlainText, trimString } from '../common/validation';

export class AskQuestionDto implements ActionRequest<'question:ask'> {
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.questionText)
  @PlainText({ multiline: true })
  text!: string;
}

export class QuestionRefDto implements ActionRequest<'question:approve'> {
  @IsUUID() questionId!: string;
}

export class EditQuestionDto implements ActionRequest<'question:edit'> {
  @IsUUID() questionId!: string;

  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.questionText)
  @PlainText({ multiline: true })
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
