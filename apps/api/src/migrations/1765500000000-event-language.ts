import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** An event's language: its pages open in it and its slate is written in it (null: each visitor's own). */
export class EventLanguage1765500000000 implements MigrationInterface {
  name = 'EventLanguage1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'press_event',
      new TableColumn({ name: 'language', type: 'varchar', length: '8', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('press_event', 'language');
  }
}
