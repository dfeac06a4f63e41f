import { createZodDto } from 'nestjs-zod';
import { AlertmanagerWebhookSchema } from '../../../../core/alert-sources/alertmanager';
import { GrafanaWebhookSchema } from '../../../../core/alert-sources/grafana';
import { SnsNotificationSchema } from '../../../../core/alert-sources/sns';

export class AlertmanagerWebhookDto extends createZodDto(AlertmanagerWebhookSchema) {}
export class GrafanaWebhookDto extends createZodDto(GrafanaWebhookSchema) {}
export class SnsNotificationDto extends createZodDto(SnsNotificationSchema) {}
