-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "rejectedCheckpoints" JSONB,
ADD COLUMN     "resumedFrom" TEXT;
