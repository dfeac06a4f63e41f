import { describeIssues, issuePath } from './validation-issues';

describe('describeIssues', () => {
  const issues = [
    { path: ['labels', 'team'], message: 'Required' },
    { path: ['targets', 0], message: 'Too short' },
    { path: [], message: 'Expected object' },
  ];

  it('puts each issue as `path: message` on one line, paths joined with dots', () => {
    expect(describeIssues(issues)).toBe('labels.team: Required; targets.0: Too short; : Expected object');
  });

  it('prefixes every path and names the value as a whole as asked', () => {
    expect(describeIssues(issues, { prefix: 'input.' })).toBe('input.labels.team: Required; input.targets.0: Too short; input.: Expected object');
    expect(describeIssues(issues, { whole: '(body)' })).toBe('labels.team: Required; targets.0: Too short; (body): Expected object');
    expect(issuePath([], '(body)')).toBe('(body)');
  });
});
