import { ValidationFailedError } from '../http/failures';
import { listingTokens } from './listing-tokens';

describe('listing page tokens', () => {
  const executions = listingTokens('execution', { request: 'cursor', answer: 'nextCursor', rule: 'cursor' });
  const incidents = listingTokens('incident', { request: 'pageToken', answer: 'nextPageToken', rule: 'page_token' });
  const query = "WorkflowType = 'runbookWorkflow'";
  const temporalToken = Buffer.from('opaque token from Temporal');

  const refusal = (open: () => unknown) => {
    try {
      open();
    } catch (error) {
      if (error instanceof ValidationFailedError) return error.issues;
      throw error;
    }
    throw new Error('the token opened');
  };

  it("opens the tokens it sealed for the same listing and query to Temporal's own", () => {
    const sealed = executions.seal(query, temporalToken);
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(executions.open(query, sealed)).toEqual(temporalToken);
  });

  it('refuses a token of other filters, of another listing, changed or made up, naming the field', () => {
    const sealed = executions.seal(query, temporalToken);
    for (const open of [
      () => executions.open(`${query} AND RunbookId = 'x'`, sealed),
      () => executions.open(query, `${sealed}A`),
      () => executions.open(query, 'AAAA'),
      () => executions.open(query, ''),
    ]) {
      expect(refusal(open)).toEqual([
        { path: ['cursor'], rule: 'cursor', message: 'not a nextCursor of this listing: use one from an earlier page with the same filters' },
      ]);
    }
    expect(refusal(() => incidents.open(query, sealed))).toEqual([
      { path: ['pageToken'], rule: 'page_token', message: 'not a nextPageToken of this listing: use one from an earlier page with the same filters' },
    ]);
  });
});
