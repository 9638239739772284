import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** A moderator's mute of a guest on stage, kept with their turn: it holds after a restart or a takeover. */
export class StageMute1765600000000 implements MigrationInterface {
  name = 'StageMute1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'stage_appearance',
      new TableColumn({ name: 'muted', type: 'boolean', isNullable: false, default: false }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('stage_appearance', 'muted');
  }
}
