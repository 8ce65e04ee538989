import type { webApi } from '@slack/bolt';
import type { Protocol } from '../../domain/protocol.js';
import type { Logger } from '../../domain/logger.js';

/**
 * Members of the Slack user groups the protocol maps to roles, kept in memory and refreshed in the
 * background, so role checks stay synchronous and nothing slow happens before an `ack()`. A user
 * added to a group gains its roles within one refresh interval.
 */
export class SlackUserGroups {
  private members = new Map<string, string[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: Pick<webApi.WebClient, 'usergroups'>,
    private readonly groupIds: readonly string[],
    private readonly log: Logger,
  ) {}

  static fromProtocol(client: Pick<webApi.WebClient, 'usergroups'>, protocol: Protocol, log: Logger) {
    const ids = [...new Set(protocol.people.flatMap((p) => (p.slackUserGroup ? [p.slackUserGroup] : [])))];
    return new SlackUserGroups(client, ids, log);
  }

  /** The configured groups this user is in. */
  groupsOf(userId: string): string[] {
    return this.members.get(userId) ?? [];
  }

  /** Reads every configured group's members. A group that cannot be read keeps its last members. */
  async refresh(): Promise<void> {
    if (this.groupIds.length === 0) return;
    const next = new Map<string, string[]>();
    const keep = (group: string, users: readonly string[]) =>
      users.forEach((u) => next.set(u, [...(next.get(u) ?? []), group]));
    for (const group of this.groupIds) {
      try {
        const res = await this.client.usergroups.users.list({ usergroup: group });
        keep(group, res.users ?? []);
      } catch (error) {
        this.log.warn(
          { group, err: (error as Error).message },
          'could not read Slack user group; keeping its last members',
        );
        keep(
          group,
          [...this.members].filter(([, groups]) => groups.includes(group)).map(([user]) => user),
        );
      }
    }
    this.members = next;
  }

  start(intervalMs = 5 * 60_000): void {
    if (this.groupIds.length === 0 || this.timer) return;
    this.timer = setInterval(() => void this.refresh(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
