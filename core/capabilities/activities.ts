/**
 * The activities workflows and runbooks may call: one function per side-effecting step.
 * `activities/index.ts` implements exactly this (checked with `satisfies`), so workflows
 * depend on this contract, not on any adapter.
 */
import type { Channel, CreateChannelInput, InviteToChannelInput, PostedMessage, PostMessageInput, SetTopicInput } from './chat';
import type { FindReleasesInput, Releases, RollbackInput, RollbackResult } from './deploy';
import type { PageInput, PageResult } from './paging';
import type { DescribeServiceInput, ScaleResult, ScaleServiceInput, ServiceDescription } from './scaling';
import type {
  OpenStatusIncidentInput,
  SetComponentStatusInput,
  StatusIncident,
  UpdateStatusIncidentInput,
} from './status-page';
import type { CommentOnTicketInput, CreateTicketInput, Ticket, TransitionTicketInput } from './ticketing';
import type { CreateMeetingInput, Meeting } from './video';

export interface CapabilityActivities {
  ticketingCreateTicket(input: CreateTicketInput): Promise<Ticket>;
  ticketingComment(input: CommentOnTicketInput): Promise<void>;
  ticketingTransition(input: TransitionTicketInput): Promise<void>;
  chatCreateChannel(input: CreateChannelInput): Promise<Channel>;
  chatInvite(input: InviteToChannelInput): Promise<void>;
  chatPostMessage(input: PostMessageInput): Promise<PostedMessage>;
  chatSetTopic(input: SetTopicInput): Promise<void>;
  videoCreateMeeting(input: CreateMeetingInput): Promise<Meeting>;
  statusPageOpenIncident(input: OpenStatusIncidentInput): Promise<StatusIncident>;
  statusPageUpdateIncident(input: UpdateStatusIncidentInput): Promise<void>;
  statusPageSetComponentStatus(input: SetComponentStatusInput): Promise<void>;
  deployFindReleases(input: FindReleasesInput): Promise<Releases>;
  deployRollback(input: RollbackInput): Promise<RollbackResult>;
  scalingDescribeService(input: DescribeServiceInput): Promise<ServiceDescription>;
  scalingScaleService(input: ScaleServiceInput): Promise<ScaleResult>;
  pagingPage(input: PageInput): Promise<PageResult>;
}
