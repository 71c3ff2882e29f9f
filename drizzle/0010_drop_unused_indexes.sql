DROP INDEX `outbox_submission`;--> statement-breakpoint
DROP INDEX `submissions_status_entered`;--> statement-breakpoint
DROP INDEX `tickets_status_entered`;