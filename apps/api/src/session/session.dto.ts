import { SessionAnswerSchema, SignInSchema } from '../../../../core/schemas/session-api';
import { createApiDto } from '../http/api-dto';
import { SignInMethodsSchema } from './sign-in-methods';

export class SignInDto extends createApiDto(SignInSchema) {}
export class SessionAnswerDto extends createApiDto(SessionAnswerSchema) {}
export class SignInMethodsDto extends createApiDto(SignInMethodsSchema) {}
