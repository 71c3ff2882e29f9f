CREATE TABLE `report_rates` (
	`user_id` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `early_adopter_reports` ADD `listed_site` integer DEFAULT true NOT NULL;--> statement-breakpoint
-- Reports already stored: whether their site is on the product's card, and one per person, site, ticket and
-- outcome (the latest kept, as a repeat now updates the report in place).
UPDATE `early_adopter_reports` SET `listed_site` = EXISTS (
	SELECT 1 FROM `tickets` t
	JOIN `submissions` s ON s.`id` = t.`submission_id`
	JOIN `products` p ON p.`id` = s.`product_id`, json_each(p.`early_adopter_sites`) j
	WHERE t.`id` = `early_adopter_reports`.`ticket_id` AND lower(trim(j.`value`)) = lower(`early_adopter_reports`.`site`)
);--> statement-breakpoint
DELETE FROM `early_adopter_reports` WHERE `id` NOT IN (
	SELECT max(`id`) FROM `early_adopter_reports` GROUP BY `ticket_id`, `reporter`, lower(`site`), `outcome`
);--> statement-breakpoint
CREATE UNIQUE INDEX `early_adopter_reports_one_per_site` ON `early_adopter_reports` (`ticket_id`,`reporter`,lower("site"),`outcome`);