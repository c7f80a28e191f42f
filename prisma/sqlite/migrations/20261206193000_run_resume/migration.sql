-- AlterTable
ALTER TABLE "Run" ADD COLUMN "rejectedCheckpoints" JSONB;
ALTER TABLE "Run" ADD COLUMN "resumedFrom" TEXT;
