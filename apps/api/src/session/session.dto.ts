import { SessionAnswerSchema, SignInSchema } from '../../../../core/schemas/session-api';
import { createApiDto } from '../http/api-dto';

export class SignInDto extends createApiDto(SignInSchema) {}
export class SessionAnswerDto extends createApiDto(SessionAnswerSchema) {}
