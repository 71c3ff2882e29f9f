CREATE TABLE `cards` (
	`submission_id` integer PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`ts` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`submission_id`) REFERENCES `submissions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `early_adopter_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`reporter` text NOT NULL,
	`site` text NOT NULL,
	`platform` text NOT NULL,
	`outcome` text NOT NULL,
	`details` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `early_adopter_reports_ticket` ON `early_adopter_reports` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` integer NOT NULL,
	`event` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`actor` text NOT NULL,
	`reason` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `history_subject` ON `history` (`subject_type`,`subject_id`,`id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`recipient_kind` text NOT NULL,
	`recipient` text NOT NULL,
	`submission_id` integer,
	`payload` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`sent_at` integer,
	`dead_at` integer,
	`last_error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_key_unique` ON `outbox` (`key`);--> statement-breakpoint
CREATE INDEX `outbox_pending` ON `outbox` (`sent_at`,`dead_at`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`team` text,
	`support_email` text,
	`website` text,
	`team_leader` text,
	`description` text,
	`repository_url` text,
	`documentation_links` text DEFAULT '[]' NOT NULL,
	`contacts` text DEFAULT '[]' NOT NULL,
	`contact_channel` text,
	`early_adopter_sites` text DEFAULT '[]' NOT NULL,
	`platforms` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_name_key_unique` ON `products` (`name_key`);--> statement-breakpoint
CREATE TABLE `refusals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` integer,
	`event` text NOT NULL,
	`actor` text NOT NULL,
	`kind` text NOT NULL,
	`reason` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `refusals_at` ON `refusals` (`at`);--> statement-breakpoint
CREATE TABLE `reporter_sites` (
	`user_id` text PRIMARY KEY NOT NULL,
	`site` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `submissions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`product_id` integer NOT NULL,
	`version` text NOT NULL,
	`release_notes` text NOT NULL,
	`distribution` text NOT NULL,
	`security` integer DEFAULT false NOT NULL,
	`submitted_by` text NOT NULL,
	`submitted_at` integer NOT NULL,
	`comment` text,
	`platforms` text DEFAULT '[]' NOT NULL,
	`packages_by_platform` text NOT NULL,
	`injection_overdue_at` integer,
	`status` text NOT NULL,
	`state_version` integer DEFAULT 1 NOT NULL,
	`entered_at` integer NOT NULL,
	`deadline` integer,
	`paused_ms` integer DEFAULT 0 NOT NULL,
	`waiting_from` text,
	`reason` text,
	`last_changed_by` text,
	`last_event` text,
	`last_changed_at` integer,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `submissions_status_deadline` ON `submissions` (`status`,`deadline`);--> statement-breakpoint
CREATE INDEX `submissions_product` ON `submissions` (`product_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `submissions_open_version_unique` ON `submissions` (`product_id`,`distribution`,`version`) WHERE "submissions"."status" in ('open', 'waiting_for_provider');--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`submission_id` integer NOT NULL,
	`platform` text NOT NULL,
	`assignee` text,
	`packages` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`delayed_from` text,
	`delay_explanation` text,
	`verification_report_url` text,
	`staged_rollout_report_url` text,
	`status` text NOT NULL,
	`state_version` integer DEFAULT 1 NOT NULL,
	`entered_at` integer NOT NULL,
	`deadline` integer,
	`paused_ms` integer DEFAULT 0 NOT NULL,
	`waiting_from` text,
	`reason` text,
	`last_changed_by` text,
	`last_event` text,
	`last_changed_at` integer,
	FOREIGN KEY (`submission_id`) REFERENCES `submissions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tickets_status_deadline` ON `tickets` (`status`,`deadline`);--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_submission_platform` ON `tickets` (`submission_id`,`platform`);