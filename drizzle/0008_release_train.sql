CREATE TABLE `release_items` (
	`release_id` integer NOT NULL,
	`ticket_id` integer NOT NULL,
	`added_by` text NOT NULL,
	`reason` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`release_id`) REFERENCES `releases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `release_items_unique` ON `release_items` (`release_id`,`ticket_id`);--> statement-breakpoint
CREATE INDEX `release_items_ticket` ON `release_items` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `releases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`distribution` text NOT NULL,
	`version` text NOT NULL,
	`release_date` text NOT NULL,
	`security` integer DEFAULT false NOT NULL,
	`cutoff_at` integer NOT NULL,
	`state` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`frozen_at` integer,
	`published_at` integer,
	`notes_url` text,
	`cancelled_reason` text,
	`description` text,
	`installation_notes` text,
	`known_issues` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `releases_name_unique` ON `releases` (`distribution`,`version`);--> statement-breakpoint
CREATE INDEX `releases_state_cutoff` ON `releases` (`state`,`cutoff_at`);