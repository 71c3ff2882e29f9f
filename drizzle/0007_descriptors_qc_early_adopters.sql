ALTER TABLE `early_adopter_reports` ADD `install_kind` text;--> statement-breakpoint
ALTER TABLE `early_adopter_reports` ADD `upgraded_from` text;--> statement-breakpoint
ALTER TABLE `early_adopter_reports` ADD `tested` text;--> statement-breakpoint
ALTER TABLE `early_adopter_reports` ADD `workaround` text;--> statement-breakpoint
ALTER TABLE `submissions` ADD `descriptor` text;--> statement-breakpoint
ALTER TABLE `submissions` ADD `descriptor_warnings` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `qc_results` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `ready_without_works_report` integer DEFAULT false NOT NULL;