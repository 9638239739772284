import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

/** Written with TypeORM's table API so the same migration runs on SQLite and PostgreSQL. */
export class Initial1763750000000 implements MigrationInterface {
  name = 'Initial1763750000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamp' : 'datetime';
    const id = (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true });
    const ref = (name: string): TableColumnOptions => ({ name, type: 'varchar', length: '36' });
    const text = (name: string, length?: number, isNullable = false): TableColumnOptions =>
      length ? { name, type: 'varchar', length: String(length), isNullable } : { name, type: 'text', isNullable };
    const time = (name: string, isNullable = false): TableColumnOptions => ({ name, type: timestamp, isNullable });
    const integer = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable });
    const flag = (name: string): TableColumnOptions => ({ name, type: 'boolean' });

    const tables: Array<{ name: string; columns: TableColumnOptions[]; indices?: string[][] }> = [
      { name: 'app_secret', columns: [{ ...text('name', 64), isPrimary: true }, text('value')] },
      {
        name: 'moderator',
        columns: [id(), { ...text('email', 254), isUnique: true }, text('passwordHash', 200), time('createdAt')],
      },
      {
        name: 'press_event',
        columns: [
          id(),
          { ...text('slug', 64), isUnique: true },
          text('title', 200),
          text('description'),
          time('startsAt'),
          text('passwordHash', 200, true),
          text('chatMode', 8),
          flag('questionsEnabled'),
          integer('retentionHours'),
          integer('slowModeSeconds'),
          text('status', 16),
          ref('createdBy'),
          time('createdAt'),
          time('startedAt', true),
          time('endedAt', true),
          time('purgedAt', true),
          text('stats', undefined, true),
        ],
      },
      {
        name: 'participant',
        columns: [
          id(),
          ref('eventId'),
          text('role', 16),
          text('name', 80, true),
          text('outlet', 120, true),
          { ...ref('moderatorId'), isNullable: true },
          { ...ref('inviteId'), isNullable: true },
          flag('muted'),
          time('bannedAt', true),
          time('createdAt'),
        ],
        indices: [['eventId']],
      },
      {
        name: 'speaker_invite',
        columns: [id(), ref('eventId'), text('name', 80), time('createdAt'), time('revokedAt', true)],
        indices: [['eventId']],
      },
      {
        name: 'chat_message',
        columns: [
          id(),
          ref('eventId'),
          ref('participantId'),
          text('authorName', 80),
          text('authorOutlet', 120, true),
          text('authorRole', 16),
          text('text'),
          text('status', 16),
          time('createdAt'),
        ],
        indices: [['eventId', 'createdAt']],
      },
      {
        name: 'question',
        columns: [
          id(),
          ref('eventId'),
          ref('participantId'),
          text('name', 80),
          text('outlet', 120),
          text('text'),
          text('status', 16),
          integer('position', true),
          integer('votes'),
          flag('onAir'),
          time('createdAt'),
        ],
        indices: [['eventId', 'status']],
      },
      {
        name: 'question_vote',
        columns: [id('questionId'), id('participantId'), ref('eventId')],
        indices: [['eventId']],
      },
      {
        name: 'hand',
        columns: [
          id(),
          ref('eventId'),
          ref('participantId'),
          text('name', 80),
          text('outlet', 120),
          text('topic', 200, true),
          text('status', 16),
          time('raisedAt'),
        ],
        indices: [['eventId', 'status']],
      },
      {
        name: 'audit_entry',
        columns: [
          id(),
          ref('eventId'),
          ref('actorParticipantId'),
          text('action', 32),
          text('targetType', 16),
          ref('targetId'),
          time('at'),
        ],
        indices: [['eventId']],
      },
    ];

    for (const table of tables) {
      await queryRunner.createTable(
        new Table({
          name: table.name,
          columns: table.columns,
          indices: (table.indices ?? []).map(
            (columnNames) => new TableIndex({ name: `IDX_${table.name}_${columnNames.join('_')}`, columnNames }),
          ),
        }),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of [
      'audit_entry',
      'hand',
      'question_vote',
      'question',
      'chat_message',
      'speaker_invite',
      'participant',
      'press_event',
      'moderator',
      'app_secret',
    ]) {
      await queryRunner.dropTable(name);
    }
  }
}
