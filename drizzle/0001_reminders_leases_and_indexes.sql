CREATE TABLE `digests` (
	`day` text PRIMARY KEY NOT NULL,
	`sent_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `leases` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `submissions_product`;--> statement-breakpoint
ALTER TABLE `submissions` ADD `warned_for_deadline` integer;--> statement-breakpoint
ALTER TABLE `submissions` ADD `reminded_for_wait` integer;--> statement-breakpoint
CREATE INDEX `submissions_status_entered` ON `submissions` (`status`,`entered_at`);--> statement-breakpoint
CREATE INDEX `submissions_version` ON `submissions` (`product_id`,`distribution`,`version`);--> statement-breakpoint
CREATE INDEX `submissions_product` ON `submissions` (`product_id`,`distribution`,`status`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `last_attempt_at` integer;--> statement-breakpoint
CREATE INDEX `outbox_submission` ON `outbox` (`submission_id`,`id`);--> statement-breakpoint
ALTER TABLE `tickets` ADD `ea_silence_warned_for` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `warned_for_deadline` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `reminded_for_wait` integer;--> statement-breakpoint
CREATE INDEX `tickets_status_entered` ON `tickets` (`status`,`entered_at`);