import {
  type OpenStatusIncidentInput,
  OpenStatusIncidentInputSchema,
  type SetComponentStatusInput,
  SetComponentStatusInputSchema,
  type StatusIncident,
  type UpdateStatusIncidentInput,
  UpdateStatusIncidentInputSchema,
} from '../../core/capabilities/status-page';
import type {
  OpenStatusIncidentCommand,
  SetComponentStatusCommand,
  UpdateStatusIncidentCommand,
} from '../../core/status-page-messages';
import { parseStepInput } from '../step-input';

/** The public status page. Every operation acts once per idempotency key. */
export interface StatusPagePort {
  openIncident(command: OpenStatusIncidentCommand): Promise<StatusIncident>;
  /** Posts an update; status `resolved` resolves the incident. */
  updateIncident(command: UpdateStatusIncidentCommand): Promise<void>;
  setComponentStatus(command: SetComponentStatusCommand): Promise<void>;
}

export function createStatusPageActivities(port: StatusPagePort) {
  return {
    async statusPageOpenIncident(input: OpenStatusIncidentInput): Promise<StatusIncident> {
      return port.openIncident(parseStepInput(OpenStatusIncidentInputSchema, input, 'statusPageOpenIncident'));
    },
    async statusPageUpdateIncident(input: UpdateStatusIncidentInput): Promise<void> {
      await port.updateIncident(parseStepInput(UpdateStatusIncidentInputSchema, input, 'statusPageUpdateIncident'));
    },
    async statusPageSetComponentStatus(input: SetComponentStatusInput): Promise<void> {
      await port.setComponentStatus(parseStepInput(SetComponentStatusInputSchema, input, 'statusPageSetComponentStatus'));
    },
  };
}
