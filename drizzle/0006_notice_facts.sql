ALTER TABLE `submissions` ADD `rollout_announced_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `announced_in` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `delay_notice_sent_at` integer;--> statement-breakpoint
-- Facts that earlier versions read back out of queued notices (JSON in outbox.payload), written once here.
UPDATE `submissions` SET `rollout_announced_at` = (
	SELECT coalesce(o.`last_attempt_at`, o.`sent_at`) FROM `outbox` o
	WHERE o.`key` = 'SUB-' || `submissions`.`id` || ':early_adopter_announcement'
		AND (o.`attempts` > 0 OR o.`sent_at` IS NOT NULL)
);--> statement-breakpoint
UPDATE `tickets` SET `announced_in` = CASE
	WHEN EXISTS (
		SELECT 1 FROM `outbox` o WHERE o.`submission_id` = `tickets`.`submission_id`
			AND json_extract(o.`payload`, '$.topic') = 'early_adopter_platform_added'
			AND json_extract(o.`payload`, '$.ticketIds[0]') = `tickets`.`id`
	) THEN 'own_message'
	WHEN `verification_report_url` IS NOT NULL AND EXISTS (
		SELECT 1 FROM `outbox` o WHERE o.`key` = 'SUB-' || `tickets`.`submission_id` || ':early_adopter_announcement'
	) THEN 'announcement'
END;--> statement-breakpoint
UPDATE `tickets` SET `delay_notice_sent_at` = (
	SELECT max(o.`sent_at`) FROM `outbox` o
	WHERE o.`submission_id` = `tickets`.`submission_id` AND o.`sent_at` IS NOT NULL
		AND json_extract(o.`payload`, '$.topic') = 'delayed'
		AND json_extract(o.`payload`, '$.ticketIds[0]') = `tickets`.`id`
);
