DROP INDEX `outbox_pending`;--> statement-breakpoint
CREATE INDEX `outbox_pending` ON `outbox` (`sent_at`,`dead_at`);