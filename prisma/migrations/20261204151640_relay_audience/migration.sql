-- AlterTable
ALTER TABLE "Space" ADD COLUMN     "relayAudience" BOOLEAN NOT NULL DEFAULT false;

