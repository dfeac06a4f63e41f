import {
  OpenStatusIncidentInputSchema,
  SetComponentStatusInputSchema,
  type StatusIncident,
  UpdateStatusIncidentInputSchema,
} from '../../core/capabilities/status-page';
import type {
  OpenStatusIncidentCommand,
  SetComponentStatusCommand,
  UpdateStatusIncidentCommand,
} from '../../core/status-page-messages';
import { stepActivity } from '../step-input';

/** The public status page. Every operation acts once per idempotency key. */
export interface StatusPagePort {
  openIncident(command: OpenStatusIncidentCommand): Promise<StatusIncident>;
  /** Posts an update; status `resolved` resolves the incident. */
  updateIncident(command: UpdateStatusIncidentCommand): Promise<void>;
  setComponentStatus(command: SetComponentStatusCommand): Promise<void>;
}

export function createStatusPageActivities(port: StatusPagePort) {
  return {
    statusPageOpenIncident: stepActivity('statusPageOpenIncident', OpenStatusIncidentInputSchema, (c) => port.openIncident(c)),
    statusPageUpdateIncident: stepActivity('statusPageUpdateIncident', UpdateStatusIncidentInputSchema, (c) => port.updateIncident(c)),
    statusPageSetComponentStatus: stepActivity('statusPageSetComponentStatus', SetComponentStatusInputSchema, (c) =>
      port.setComponentStatus(c),
    ),
  };
}
