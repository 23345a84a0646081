-- CreateEnum
CREATE TYPE "TicketState" AS ENUM ('PENDING', 'ISSUED', 'RELEASED', 'REFUND_PENDING', 'REFUNDED');

-- CreateTable
CREATE TABLE "TicketOffer" (
    "spaceId" TEXT NOT NULL,
    "priceMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "seats" INTEGER NOT NULL,
    "salesEndAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TicketOffer_pkey" PRIMARY KEY ("spaceId")
);

-- CreateTable
CREATE TABLE "Ticket" (
    "id" TEXT NOT NULL,
    "spaceId" TEXT NOT NULL,
    "buyerId" TEXT NOT NULL,
    "state" "TicketState" NOT NULL DEFAULT 'PENDING',
    "priceMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "checkoutSessionId" TEXT,
    "checkoutUrl" TEXT,
    "holdExpiresAt" TIMESTAMP(3) NOT NULL,
    "paymentIntentId" TEXT,
    "refundId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "issuedAt" TIMESTAMP(3),
    "refundedAt" TIMESTAMP(3),

    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaymentEvent" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PaymentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_checkoutSessionId_key" ON "Ticket"("checkoutSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_paymentIntentId_key" ON "Ticket"("paymentIntentId");

-- CreateIndex
CREATE INDEX "Ticket_spaceId_state_idx" ON "Ticket"("spaceId", "state");

-- CreateIndex
CREATE INDEX "Ticket_buyerId_createdAt_idx" ON "Ticket"("buyerId", "createdAt");

-- AddForeignKey
ALTER TABLE "TicketOffer" ADD CONSTRAINT "TicketOffer_spaceId_fkey" FOREIGN KEY ("spaceId") REFERENCES "Space"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_spaceId_fkey" FOREIGN KEY ("spaceId") REFERENCES "Space"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_buyerId_fkey" FOREIGN KEY ("buyerId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

